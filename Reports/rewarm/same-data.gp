# Drawn by the replicate harness; run `gnuplot same-data.gp` in this folder to redraw.
set encoding utf8
set termoption noenhanced
set title "Re-warming on the same data (U → U): U-val and F-val"
set xlabel "continual step"
set ylabel "validation loss (nats/byte)"
set grid
set key outside right top
set terminal pngcairo size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'same-data.png'
plot 'same-data.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "same1 U-val", \
     'same-data.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "same1 F-val", \
     'same-data.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "same2 U-val", \
     'same-data.dat' index 3 using 1:2:3 with yerrorlines lc 4 pt 4 title "same2 F-val"
unset output
set terminal svg size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'same-data.svg'
plot 'same-data.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "same1 U-val", \
     'same-data.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "same1 F-val", \
     'same-data.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "same2 U-val", \
     'same-data.dat' index 3 using 1:2:3 with yerrorlines lc 4 pt 4 title "same2 F-val"
unset output
