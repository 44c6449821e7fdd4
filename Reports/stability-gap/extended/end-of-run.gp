# Drawn by the replicate harness; run `gnuplot end-of-run.gp` in this folder to redraw.
set encoding utf8
set termoption noenhanced
set title "End-of-run medQ per arm (Table 1 order: full, low LR, 40% control, replay, I, II, replay+II, III)"
set xlabel "arm"
set ylabel "medQ at the end (nats/byte)"
set grid
set key outside right top
set xrange [0.0:10.0]
set terminal pngcairo size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'end-of-run.png'
plot 'end-of-run.dat' index 0 using 1:2:3 with yerrorbars lc 1 pt 1 title "G0", \
     'end-of-run.dat' index 1 using 1:2:3 with yerrorbars lc 2 pt 2 title "G0lo", \
     'end-of-run.dat' index 2 using 1:2:3 with yerrorbars lc 3 pt 3 title "G0s", \
     'end-of-run.dat' index 3 using 1:2:3 with yerrorbars lc 4 pt 4 title "G4", \
     'end-of-run.dat' index 4 using 1:2:3 with yerrorbars lc 5 pt 5 title "G1", \
     'end-of-run.dat' index 5 using 1:2:3 with yerrorbars lc 6 pt 6 title "G2", \
     'end-of-run.dat' index 6 using 1:2:3 with yerrorbars lc 7 pt 7 title "G5", \
     'end-of-run.dat' index 7 using 1:2:3 with yerrorbars lc 8 pt 1 title "G3", \
     'end-of-run.dat' index 8 using 1:2:3 with yerrorbars lc 9 pt 2 title "G6", \
     1.79641276848489 with lines dt 2 lc rgb 'gray40' title "medQ at the start"
unset output
set terminal svg size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'end-of-run.svg'
plot 'end-of-run.dat' index 0 using 1:2:3 with yerrorbars lc 1 pt 1 title "G0", \
     'end-of-run.dat' index 1 using 1:2:3 with yerrorbars lc 2 pt 2 title "G0lo", \
     'end-of-run.dat' index 2 using 1:2:3 with yerrorbars lc 3 pt 3 title "G0s", \
     'end-of-run.dat' index 3 using 1:2:3 with yerrorbars lc 4 pt 4 title "G4", \
     'end-of-run.dat' index 4 using 1:2:3 with yerrorbars lc 5 pt 5 title "G1", \
     'end-of-run.dat' index 5 using 1:2:3 with yerrorbars lc 6 pt 6 title "G2", \
     'end-of-run.dat' index 6 using 1:2:3 with yerrorbars lc 7 pt 7 title "G5", \
     'end-of-run.dat' index 7 using 1:2:3 with yerrorbars lc 8 pt 1 title "G3", \
     'end-of-run.dat' index 8 using 1:2:3 with yerrorbars lc 9 pt 2 title "G6", \
     1.79641276848489 with lines dt 2 lc rgb 'gray40' title "medQ at the start"
unset output
