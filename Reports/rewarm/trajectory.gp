# Drawn by the replicate harness; run `gnuplot trajectory.gp` in this folder to redraw.
set encoding utf8
set termoption noenhanced
set title "Downstream against upstream loss during the continual phase"
set xlabel "U-val (nats/byte)"
set ylabel "F-val (nats/byte)"
set grid
set key outside right top
set terminal pngcairo size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'trajectory.png'
plot 'trajectory.dat' index 0 using 1:2 with linespoints lc 1 pt 1 title "lr0.5", \
     'trajectory.dat' index 1 using 1:2 with linespoints lc 2 pt 2 title "lr1", \
     'trajectory.dat' index 2 using 1:2 with linespoints lc 3 pt 3 title "lr2", \
     'trajectory.dat' index 3 using 1:2 with linespoints lc 4 pt 4 title "same1", \
     'trajectory.dat' index 4 using 1:2 with linespoints lc 5 pt 5 title "same2", \
     2.5095803836981454 with lines dt 2 lc rgb 'gray40' title "F-val at the start (step 0)"
unset output
set terminal svg size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'trajectory.svg'
plot 'trajectory.dat' index 0 using 1:2 with linespoints lc 1 pt 1 title "lr0.5", \
     'trajectory.dat' index 1 using 1:2 with linespoints lc 2 pt 2 title "lr1", \
     'trajectory.dat' index 2 using 1:2 with linespoints lc 3 pt 3 title "lr2", \
     'trajectory.dat' index 3 using 1:2 with linespoints lc 4 pt 4 title "same1", \
     'trajectory.dat' index 4 using 1:2 with linespoints lc 5 pt 5 title "same2", \
     2.5095803836981454 with lines dt 2 lc rgb 'gray40' title "F-val at the start (step 0)"
unset output
